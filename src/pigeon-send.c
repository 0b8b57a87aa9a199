/* placeholder while pigeon-send is written; replaced in this change */
int
main (void)
{
  return 70;
}
